"""Policy bots: players that fill seats from what their EOC knows.

- :mod:`.policy` names the policies (``idle``, ``by_the_book``, ``late:N``, ``chaotic``)
  and parses seat assignments (``POLICY[,SEAT=POLICY…]``).
- :mod:`.doctrine` reads the book a bot plays by from the scenario (expected actions,
  planning data): static, the same for every seed.
- :mod:`.players` decides from one seat payload (the browser seat's view) what to send.
- :mod:`.fill` fills a command form as a seat would.
- :mod:`.desk` is the server's room without the network: the same seat views and indexes.
- :mod:`.play` plays a whole session with bots and writes its log.

A bot never reads the session: its input is the payload of
``tabletop.server.views.seat_payload``, its output commands through ``Session.submit``.
"""
