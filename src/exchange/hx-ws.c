/* hx-ws.c — being written */
