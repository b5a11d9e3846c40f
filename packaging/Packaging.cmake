# Installed files beyond the two binaries, and the .deb / .tar.gz packages (cpack).
include(GNUInstallDirs)

install(FILES ${PROJECT_SOURCE_DIR}/resources/salience.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/salience.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
configure_file(${PROJECT_SOURCE_DIR}/packaging/salience.metainfo.xml ${PROJECT_BINARY_DIR}/salience.metainfo.xml @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/salience.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

# The GUI carries its translations inside; the .qm files are installed as well for other tools.
if(SALIENCE_BUILD_GUI)
  file(GLOB SALIENCE_PACKAGE_TS ${PROJECT_SOURCE_DIR}/translations/*.ts)
  add_custom_target(salience_package_qm ALL)
  qt_add_lrelease(salience_package_qm TS_FILES ${SALIENCE_PACKAGE_TS} QM_FILES_OUTPUT_VARIABLE SALIENCE_PACKAGE_QM)
  install(FILES ${SALIENCE_PACKAGE_QM} DESTINATION ${CMAKE_INSTALL_DATADIR}/salience/translations)
endif()

set(CPACK_PACKAGE_NAME "salience")
set(CPACK_PACKAGE_VENDOR "Salience")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "Salience developers <salience@localhost>")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_FILE_NAME "salience-${PROJECT_VERSION}-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # the runtime libraries, from dpkg-shlibdeps
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
