"""The pure core: state, commands, events and rules.

Nothing in this package reads files, looks at the clock, imports pygame or uses
the global random module. Input arrives as values, output leaves as records.
"""
