/* expr.c — placeholder, being written. */
#include "surveys/expr.h"
