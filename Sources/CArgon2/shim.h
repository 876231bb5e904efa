#ifndef PARLEY_CARGON2_SHIM_H
#define PARLEY_CARGON2_SHIM_H
#include <argon2.h>
#if defined(__linux__)
/* mallopt(M_MMAP_THRESHOLD): where argon2's 19 MiB blocks come from (ParleyAuth/Argon2Memory.swift). */
#include <malloc.h>
static const int parley_m_mmap_threshold = M_MMAP_THRESHOLD;
#endif
#endif
