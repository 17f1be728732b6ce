/* store.c — placeholder, written by issue 11. */
#include "vault/vault_int.h"
