from loopready.cli import main

main()
