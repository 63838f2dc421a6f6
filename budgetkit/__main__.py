import sys

from budgetkit.cli import main

sys.exit(main())
