/* hx-exchange.c — being written */
