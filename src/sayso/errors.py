"""Errors a user can cause, each with one clear message and a documented exit status.

==========  =================================================================
exit code   meaning
==========  =================================================================
0           success (a warning may still have been printed)
1           unexpected internal error (a bug: please report it)
2           bad command-line usage (unknown option, missing argument), or an output that cannot be written
3           input not found (missing path)
4           input unusable: empty, binary, not UTF-8, too large, no article text
5           network: unreachable URL, HTTP error, refused private/loopback address
6           store: the database file cannot be opened or written
7           missing model or data set (install or point --data at it)
==========  =================================================================
"""

from __future__ import annotations


class SaysoError(Exception):
    """Base class: ``str(err)`` is the one line shown to the user, ``exit_code`` the status."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnwritableOutput(SaysoError):
    """The output (``-o FILE`` or stdout) cannot be written: a folder, a missing folder, no permission,
    a full disk."""

    exit_code = 2


class InputNotFound(SaysoError):
    exit_code = 3


class BadInput(SaysoError):
    exit_code = 4


class NetworkError(SaysoError):
    exit_code = 5


class StoreError(SaysoError):
    exit_code = 6


class MissingResource(SaysoError):
    exit_code = 7
