/* routes.c — placeholder for /verification-telephone. */
#include "scan/scan.h"
