/* hx-conditions.c — being written */
