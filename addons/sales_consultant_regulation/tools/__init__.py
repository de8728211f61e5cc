# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure helpers of the addon: the arithmetic and decisions of the regulation, free of the ORM
so that tests/ checks them without a database. The models import them from here."""
