"""The built-in demo catalogue, installed on first run so a newcomer can scan at once.

``demo/catalogue.json`` is an ordinary Zoho-shaped catalogue file and goes in through
the same importer as any other. It holds 2 warehouses (Main Warehouse, North Depot)
with 12 bins, 30 items (packaging, tools, equipment, a book), serial-tracked equipment
with serials in bins (some shipped, one inactive), batch-tracked consumables (one
batch expired in 2024, the others expiring 2030 or later) and two kits, one inside the
other. Its GTINs use GS1's example company prefixes (0614141, 4000001), so they belong to
no real product.

Codes to try (``scanner-app lookup CODE``):

- ``4000001100118`` GTIN (EAN-13): stretch film
- ``614141100217`` GTIN (UPC-A): brown packing tape; ``0614141100217`` (EAN-13) and
  ``00614141100217`` (GTIN-14) find the same item
- ``PKG-BOX-433`` SKU: corrugated box 400 x 300 x 300 mm
- ``HPT-2500-115`` part number: hand pallet truck
- ``9781861978769`` ISBN: The Warehouse Handbook
- ``Z22-1001`` serial number: barcode scanner Z-2200, in bin C-01-01
- ``Z22-1006`` serial number: shipped (transacted out); ``RT10-5003``: inactive
- ``SAN-2501`` batch: hand sanitiser, expires 2030-01-31
- ``SAN-2311`` batch: hand sanitiser, expired on 2024-11-30
- ``A-01-01`` bin in Main Warehouse
- ``KIT-PACK-START`` kit (composite item) of 7 components, one of them a kit
  (``KIT-MOB-SCAN``: scanner and printer by serial number) and one batch-tracked
  (hand sanitiser): ``scanner-app assemble`` or the Assemble tab builds them
- ``(01)04000001300112(10)SAN-2501(17)300131`` GS1: the sanitiser's batch SAN-2501;
  as a scanner sends it: ``01040000013001121730013110SAN-2501`` (AI 17 before the
  variable-length AI 10, so no group separator is needed)
- ``(01)04000001200115(21)Z22-1001`` GS1: the barcode scanner with serial Z22-1001
"""

from __future__ import annotations

from importlib import resources

from scanner_app.inventory.importer import ImportReport, import_file
from scanner_app.inventory.store import InventoryStore

DEMO_GTIN = "4000001100118"
DEMO_UPC_A = "614141100217"
DEMO_SKU = "PKG-BOX-433"
DEMO_PART_NUMBER = "HPT-2500-115"
DEMO_ISBN = "9781861978769"
DEMO_SERIAL = "Z22-1001"
DEMO_SHIPPED_SERIAL = "Z22-1006"
DEMO_INACTIVE_SERIAL = "RT10-5003"
DEMO_BATCH = "SAN-2501"
DEMO_EXPIRED_BATCH = "SAN-2311"
DEMO_BIN = "A-01-01"
DEMO_KIT_SKU = "KIT-PACK-START"
DEMO_GS1_BATCH = "(01)04000001300112(10)SAN-2501(17)300131"
DEMO_GS1_BATCH_RAW = "01040000013001121730013110SAN-2501"
DEMO_GS1_SERIAL = "(01)04000001200115(21)Z22-1001"


def install_demo(store: InventoryStore) -> ImportReport:
    """Import the demo catalogue (again: importing is idempotent)."""
    catalogue = resources.files("scanner_app.inventory").joinpath("demo", "catalogue.json")
    with resources.as_file(catalogue) as path:
        return import_file(store, path)


def install_demo_if_empty(store: InventoryStore) -> bool:
    """Install the demo catalogue when the store has no items; True when it did."""
    if store.count_items() > 0:
        return False
    install_demo(store)
    return True
