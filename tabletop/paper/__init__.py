"""The exercise office's own formats: the MSEL spreadsheet (``msel``), printable scenario cards
(``cards``), and PDFs printed by a real browser engine (``pdf``)."""
