"""Who changed what, when: the history every audited model keeps (records.py), the changes
of one object as people read them (changes.py) and the page that lists them (views.py).

Knows no domain: each room says which of its objects a user may see and calls
`views.history_page` with one of them.
"""
