"""Logging in to the bastion: the SSH agent's keys, or the key file given.

A passphrase is asked for only on a terminal, through a callback the face supplies (the command
uses getpass); with none (--batch, the UI, no TTY) an encrypted key fails with what to do instead.
The passphrase is used once to decrypt the key and is never stored, logged or recorded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from core.errors import NetworkError

PassphraseAsk = Callable[[str], str]  # prompt -> passphrase
DEFAULT_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa")


def load_key_file(path: Path, ask: PassphraseAsk | None, where: str):
    import paramiko

    try:
        return paramiko.PKey.from_path(str(path))
    except (paramiko.PasswordRequiredException, TypeError):
        pass  # encrypted (cryptography says so with a TypeError for OpenSSH-format keys)
    except (OSError, paramiko.SSHException, ValueError) as exc:
        raise NetworkError(f"the key file {path} cannot be read: {exc}", file=where, key="--identity",
                           hint="name an OpenSSH private key (not the .pub)") from exc
    if ask is None:
        raise NetworkError(f"the key {path} is encrypted and there is no terminal to ask for its passphrase",
                           file=where, key="--identity",
                           hint=f"load it into the agent first (ssh-add {path}), or run net up from a terminal "
                                "without --batch")
    passphrase = ask(f"passphrase for {path}: ")
    try:
        return paramiko.PKey.from_path(str(path), passphrase.encode())
    except (paramiko.SSHException, ValueError, TypeError) as exc:
        raise NetworkError(f"the passphrase for {path} does not open it", file=where, key="--identity",
                           hint="try again, or use the SSH agent (ssh-add)") from exc
    finally:
        del passphrase


def candidate_keys(identity: str | None, ask: PassphraseAsk | None, where: str) -> list:
    """The given key; else the agent's keys, then unencrypted default keys in ~/.ssh."""
    if identity:
        return [load_key_file(Path(identity), ask, where)]
    keys: list = []
    if os.environ.get("SSH_AUTH_SOCK"):
        import paramiko

        try:
            keys.extend(paramiko.Agent().get_keys())
        except paramiko.SSHException:
            pass  # a dead agent socket: fall through to the key files
    for name in DEFAULT_KEYS:
        path = Path.home() / ".ssh" / name
        if path.is_file():
            try:
                keys.append(load_key_file(path, None, where))
            except NetworkError:
                continue  # an encrypted default key needs the agent or --identity
    return keys


def authenticate(transport, user: str, keys: list, where: str) -> str:
    """Try each key; the name of the one the bastion took, else a NetworkError naming the host."""
    import paramiko

    if not keys:
        raise NetworkError(f"no key to log in to {where} as {user}", file=where, key="--identity",
                           hint="start an SSH agent with your key (ssh-add), or name the key with --identity")
    last = ""
    for key in keys:
        try:
            transport.auth_publickey(user, key)
        except paramiko.AuthenticationException as exc:
            last = str(exc) or "authentication failed"
            continue
        except (paramiko.SSHException, OSError, EOFError) as exc:
            raise NetworkError(f"{where} dropped the connection while logging in as {user}: {exc}", file=where,
                               hint="check --ssh-port and that the bastion accepts this user") from exc
        if transport.is_authenticated():
            return key.get_name()
    raise NetworkError(f"{where} refused the key for user {user} ({last})", file=where, key="--identity",
                       hint="check --user, and that the key's .pub is in the bastion's authorized_keys")
