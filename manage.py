#!/usr/bin/env python
"""Same as the installed `portail` command."""

from portail.__main__ import main

if __name__ == "__main__":
    main()
