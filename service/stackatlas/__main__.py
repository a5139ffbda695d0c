"""``python -m stackatlas``: the command line; importing this module runs nothing."""

from .cli import main

if __name__ == "__main__":
    main()
