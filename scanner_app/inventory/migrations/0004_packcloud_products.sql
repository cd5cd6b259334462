-- Pack.cloud (scanner_app/backends/packcloud/) is a serial-number register that knows its
-- own products. This says which catalogue item each Pack.cloud product is, so a serial it
-- returns can be matched to the item a packer scanned. Filled by `scanner-app import`
-- ("packcloud_products"). A product names one item; several products may name the same item.
CREATE TABLE packcloud_products (
    product_id TEXT PRIMARY KEY,
    item_id    TEXT NOT NULL REFERENCES items (item_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX packcloud_products_by_item ON packcloud_products (item_id);
