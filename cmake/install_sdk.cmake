# `cmake --install` of the receiver SDK: include/hookline/, its libraries
# (hookline_sdk and the hookline_signing it links), a CMake package
# (find_package(hookline CONFIG) -> hookline::sdk) and hookline.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HOOKLINE_BOOST_VERSION 1.81)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/hookline
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT sdk)
install(TARGETS hookline_sdk hookline_signing EXPORT hooklineTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sdk
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT hooklineTargets NAMESPACE hookline::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hookline COMPONENT sdk)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/hooklineConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/hooklineConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hookline)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hooklineConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hooklineConfig.cmake
              ${PROJECT_BINARY_DIR}/hooklineConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hookline COMPONENT sdk)
# @ONLY at install time, so that `cmake --install --prefix P` writes prefix=P.
install(CODE "
  set(CMAKE_INSTALL_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(CMAKE_INSTALL_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  set(HOOKLINE_SDK_EXTRA_LIBS \"${HOOKLINE_SDK_EXTRA_LIBS}\")
  configure_file(\"${CMAKE_CURRENT_LIST_DIR}/hookline.pc.in\"
                 \"${PROJECT_BINARY_DIR}/hookline.pc\" @ONLY)
  file(INSTALL \"${PROJECT_BINARY_DIR}/hookline.pc\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\")
" COMPONENT sdk)
