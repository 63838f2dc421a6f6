"""``python -m budgetkit.fuzz``: see :mod:`budgetkit.fuzz`."""
import sys

from budgetkit.fuzz import main

sys.exit(main())
