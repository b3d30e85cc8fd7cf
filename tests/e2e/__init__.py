import os

# Debian's Chromium; never a browser that Playwright downloads.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
