# repcue_link_closure(<target> <out-var>): every library <target> brings
# into a link, followed through the link interfaces of the targets it
# names ($<LINK_ONLY:...> included: a static library's private libraries
# end up on its users' link lines). Targets are listed by name, others
# (m, -lfoo, paths) as written. Used by tests/core to hold the core to
# libc and libm.
function(repcue_link_closure target out)
  set(seen)
  set(todo ${target})
  while(todo)
    list(POP_FRONT todo t)
    if(t IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${t})
    if(NOT TARGET ${t})
      continue()
    endif()
    get_target_property(libs ${t} INTERFACE_LINK_LIBRARIES)
    if(NOT libs)
      continue()
    endif()
    foreach(lib IN LISTS libs)
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
      list(APPEND todo ${lib})
    endforeach()
  endwhile()
  list(REMOVE_ITEM seen ${target})
  set(${out} ${seen} PARENT_SCOPE)
endfunction()
