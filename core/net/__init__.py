"""Step 5's network half: SSH tunnels through a bastion to Prefect and Marquez, and what the
telemetry dashboard reads. Plain paramiko and sockets; no textual, no rich.

  spec.py       what a tunnel is asked to be (host, user, key, forwards), parsed from flags
  hostkeys.py   known_hosts checks, SHA256 fingerprints, trusting a new key
  auth.py       the agent or the key given; a passphrase only from a terminal
  ports.py      a local port on 127.0.0.1, the next free one when the asked one is busy
  forwarder.py  the forwards, keepalive, reconnect with backoff on the same ports
  state.py      the state file of each tunnel under .hotpass/tunnels/, written atomically
  daemon.py     the detached background process
  manager.py    up, status, down: what the commands and the UI call
  probe.py      whether a forward answers (Prefect /api/health, Marquez /api/v1/namespaces)
  dashboard.py  the telemetry dashboard's reads: quality gates, enrichment, provenance, runs, lineage
"""
