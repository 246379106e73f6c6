# cmake/manpage.cmake -- intspect.1, made from the text of `intspect help`.
#
#   cmake -DEXE=path/to/intspect -DOUT=intspect.1 -DVERSION=0.1.0
#         -DDESCRIPTION="..." -P cmake/manpage.cmake
#
# The overview (`intspect help`) gives the synopsis and the list of
# commands; each command's section is its `intspect help COMMAND` text,
# verbatim (the usage texts are laid out by hand, so they stay in no-fill
# mode).  No text of the page is written here except the section names:
# a command added to main.c's table appears in the page at the next build.
cmake_policy(VERSION 3.18)
foreach(v EXE OUT VERSION DESCRIPTION)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "manpage.cmake: -D${v}=... is required")
  endif()
endforeach()

function(isp_help out)
  execute_process(COMMAND ${EXE} help ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "manpage.cmake: '${EXE} help ${ARGN}' failed (${rc}): ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Text for roff: backslashes and hyphens escaped, a line starting with
# '.' or '\'' protected from being read as a request.
function(isp_roff out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

isp_help(overview)
string(REPLACE "\n" ";" lines "${overview}")
set(synopsis "")
set(commands "")
set(summaries "")
set(tail "")
set(state head)
foreach(line IN LISTS lines)
  if(state STREQUAL "head")
    if(line MATCHES "^usage: (.*)$")
      set(synopsis "${CMAKE_MATCH_1}")
    elseif(line STREQUAL "commands:")
      set(state commands)
    endif()
  elseif(state STREQUAL "commands")
    if(line MATCHES "^  ([a-z][a-z0-9_-]*) +(.*)$")
      list(APPEND commands "${CMAKE_MATCH_1}")
      string(REPLACE ";" "," summary "${CMAKE_MATCH_2}")
      list(APPEND summaries "${summary}")
    elseif(line STREQUAL "")
      set(state tail)
    endif()
  elseif(NOT line STREQUAL "")
    string(REGEX REPLACE "^ +" "" line "${line}")
    string(APPEND tail "${line}\n")
  endif()
endforeach()
if(synopsis STREQUAL "" OR NOT commands)
  message(FATAL_ERROR "manpage.cmake: '${EXE} help' printed no usage line or no command list:\n${overview}")
endif()

isp_roff(synopsis_r "${synopsis}")
isp_roff(description_r "${DESCRIPTION}")
set(page ".TH INTSPECT 1 \"\" \"intspect ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\nintspect \\- ${description_r}\n")
string(APPEND page ".SH SYNOPSIS\n.nf\n${synopsis_r}\n")
isp_roff(tail_r "${tail}")
string(APPEND page "${tail_r}.fi\n.SH COMMANDS\n")
list(LENGTH commands n)
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  list(GET commands ${i} name)
  list(GET summaries ${i} summary)
  isp_help(usage ${name})
  isp_roff(summary_r "${summary}")
  isp_roff(usage_r "${usage}")
  string(APPEND page ".SS ${name}\n${summary_r}\n.PP\n.nf\n${usage_r}.fi\n")
endforeach()
string(APPEND page ".SH SEE ALSO\n.BR busted (1),\n.BR lua5.4 (1)\n")
file(WRITE "${OUT}.tmp" "${page}")
file(RENAME "${OUT}.tmp" "${OUT}")
