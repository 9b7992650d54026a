/* kiwoom-real-scan.c — being written */
