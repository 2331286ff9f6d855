# cmake -DHEADER=a -DBODY=b -DOUTPUT=c -P ConcatFiles.cmake: writes a then b into c.
file(READ ${HEADER} header_text)
file(READ ${BODY} body_text)
file(WRITE ${OUTPUT} "${header_text}${body_text}")
