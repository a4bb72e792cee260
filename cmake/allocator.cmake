# The allocator of the hookline binary (the whole process: every thread's
# malloc/free, libcurl's, SQLite's and libstdc++'s included).
#
#   -DHOOKLINE_MALLOC=system (default) | mimalloc (Debian's libmimalloc-dev)
#
# mimalloc did not pay on every measurement (bench/profile.md, h17a), so the
# default stays glibc's. A sanitizer or fuzzer build always keeps the system
# allocator: ASan brings its own.
# hookline_link_allocator(TARGET) links the chosen one into an executable.
set(HOOKLINE_MALLOC "system" CACHE STRING "Allocator linked into the hookline binary: system or mimalloc")
set_property(CACHE HOOKLINE_MALLOC PROPERTY STRINGS system mimalloc)

if(HOOKLINE_SANITIZE OR HOOKLINE_FUZZ)
  set(HOOKLINE_MALLOC_LINKED system)
else()
  set(HOOKLINE_MALLOC_LINKED ${HOOKLINE_MALLOC})
endif()

if(HOOKLINE_MALLOC_LINKED STREQUAL "mimalloc")
  find_package(mimalloc 2 REQUIRED)  # Debian: libmimalloc-dev
  set(HOOKLINE_MALLOC_LIBRARY mimalloc)
elseif(NOT HOOKLINE_MALLOC_LINKED STREQUAL "system")
  message(FATAL_ERROR "HOOKLINE_MALLOC must be system or mimalloc, not '${HOOKLINE_MALLOC}'")
endif()
message(STATUS "hookline allocator: ${HOOKLINE_MALLOC_LINKED}")

function(hookline_link_allocator target)
  if(HOOKLINE_MALLOC_LIBRARY)
    # Nothing in hookline calls the allocator's own API: without --no-as-needed
    # the linker could drop it. Linked ahead of libc, its malloc and free are
    # the ones every library of the process binds to.
    target_link_libraries(${target} PRIVATE -Wl,--push-state,--no-as-needed
                          ${HOOKLINE_MALLOC_LIBRARY} -Wl,--pop-state)
  endif()
endfunction()
