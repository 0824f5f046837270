"""Roster workbooks: the template, the import (all or nothing) and the export. Filled in below."""
