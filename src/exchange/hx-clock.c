/* hx-clock.c — being written */
