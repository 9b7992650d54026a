/* hx-market.c — being written */
