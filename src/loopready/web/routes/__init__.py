"""One router module per page family; ``loopready.web.app.ROUTERS`` lists them."""
