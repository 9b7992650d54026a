/* hx-control.c — being written */
