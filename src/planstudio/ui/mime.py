"""The drag-and-drop and clipboard formats the window's parts exchange, said once."""

MIME_ITEMS = "application/x-planstudio-items"  # tree items moved within one window
MIME_BRANCH = "application/x-planstudio-branch"  # a copied branch, pasted anywhere
MIME_CATALOG_ENTRY = "application/x-planstudio-catalog-entry"  # a panel's entry dropped on a step
