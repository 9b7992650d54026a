/* kiwoom-rest.c — being written */
