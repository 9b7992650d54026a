/* hx-auth.c — being written */
