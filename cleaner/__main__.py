"""``python -m cleaner``: the same command line as ``cleaner``."""

if __name__ == "__main__":
    from cleaner.cli import main

    main()
