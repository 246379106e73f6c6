# embed.cmake -- turn a Lua source file into a C string constant.
#   cmake -DIN=file.lua -DOUT=file.h -DNAME=symbol -P embed.cmake
# The text is written as a byte array, so nothing needs escaping, and
# sizeof(NAME) - 1 is its length.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "/* generated from ${IN} by embed.cmake; do not edit */\n"
  "static const char ${NAME}[] = {\n${bytes}0x00\n};\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
file(REMOVE "${OUT}.tmp")
