"ds.conv"() : () -> ()
