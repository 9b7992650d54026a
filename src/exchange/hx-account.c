/* hx-account.c — being written */
