/* kiwoom-socket.c — being written */
