"""Memory a worker gives back after checking a password.

Argon2id works in 19 MiB of memory for each check (accounts/passwords.py).
glibc's malloc serves a block that large with mmap and returns it to the
system when it is freed, but then raises its mmap threshold to that size
(its "dynamic mmap threshold"), so the next such blocks come from the heap
and stay in the process once freed: a worker would keep about 19 MiB more
from its second login on. Setting the threshold explicitly turns that
adjustment off (mallopt(3)). Other C libraries are left as they are."""
import ctypes
import ctypes.util
import functools
import platform

M_MMAP_THRESHOLD = -3  # from glibc's <malloc.h>
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value


@functools.cache
def return_large_blocks_to_the_system():
    """Whether the setting was made (only with glibc); once per process."""
    library = ctypes.util.find_library("c")
    if library is None or platform.libc_ver()[0] != "glibc":
        return False
    return bool(ctypes.CDLL(library).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
