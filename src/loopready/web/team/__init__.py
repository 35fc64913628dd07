"""The team mode's pages: sign-in, live mocks over WebSockets, reports, coaches.

Routes stay thin: each calls :mod:`loopready.team` and renders a template. Only
``create_app(team=True)`` mounts them; the local mode never imports this package.
"""
