/* hx-rest.c — being written */
