/* trainings.c — placeholder, being written. */
#include "trainings/trainings.h"
