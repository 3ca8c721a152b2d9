"""Requisition and compensation (徵購、徵用與補償): the Mobilization Act arts 28-43 as rules.

Modules: ``model`` (scenario section), ``registry`` (property and people, Faker zh_TW),
``rules`` (one function per article), ``state`` (case state machines), ``plans``,
``cases``, ``manpower``, ``payments`` (command handlers and turn hooks), ``capacity``
(queries for other plugins), ``ledger`` and ``cli``. The plugin is ``plugin.PLUGIN``.
"""
