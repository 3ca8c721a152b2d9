"""Crises that change the world (issue 6): the contract effects library, alerts and
shelters, relief and first-aid stations, casualties and displaced people.

Effects that other parts already model are composed from their building blocks
through the effect registry (distribution's ``stations_suspended``, ``goods_lost``,
``road_closed``, ``panic``, ``shortage_declared``; communications' ``power_outage``,
``base_station_down``), so each thing the world can suffer is modelled once.
"""
