"""The station's look: large type for a person standing a metre from the screen, and
one colour per answer (always with an icon and words as well)."""

STYLESHEET = """
QWidget { font-size: 16px; }
#banner { border-radius: 8px; padding: 8px; background: #e8ecf0; }
#banner[state="found"] { background: #1b7f3b; }
#banner[state="not_found"] { background: #8a5300; }
#banner[state="invalid"] { background: #b00020; }
#banner[state="idle"] #headline { color: #20354b; }
#banner #headline { font-size: 34px; font-weight: bold; color: white; }
#banner #scannedCode { font-size: 20px; color: white; font-family: monospace; }
#banner[state="idle"] #scannedCode { color: #20354b; }
#itemName { font-size: 28px; font-weight: bold; }
#reason { font-size: 20px; }
#notes { font-size: 18px; color: #8a5300; font-weight: bold; }
#fieldName { font-size: 18px; color: #555; }
#fieldValue { font-size: 20px; font-weight: bold; }
#caption { font-size: 18px; font-weight: bold; margin-top: 8px; }
#manualEntry { font-size: 20px; padding: 6px; }
#historyList { font-size: 14px; }
"""
