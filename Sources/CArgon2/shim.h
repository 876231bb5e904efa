#ifndef PARLEY_CARGON2_SHIM_H
#define PARLEY_CARGON2_SHIM_H
#include <argon2.h>
#endif
