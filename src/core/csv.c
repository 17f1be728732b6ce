/* csv.c — placeholder, being written. */
#include "core/csv.h"
