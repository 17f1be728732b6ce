/* xlsform.c — placeholder, being written. */
#include "surveys/xlsform.h"
