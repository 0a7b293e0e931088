# `./run package` (or `cmake --build --preset release --target package`): a Debian package made by CPack.
# Its dependencies are computed from the binaries by dpkg-shlibdeps, so installing it with
# `apt-get install ./goesvfi_<version>_amd64.deb` pulls in exactly the run-time libraries, nothing for building.
# With the desktop app built there are two packages: goesvfi (the command line) and goesvfi-gui (the app,
# depending on goesvfi), so a server install does not pull in Qt.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME goesvfi)
set(CPACK_PACKAGE_VENDOR "goesvfi developers")
set(CPACK_PACKAGE_CONTACT "goesvfi developers <goesvfi@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "Downloads GOES-16/17/18/19 ABI imagery from NOAA, checks it against the real scan schedule, renders "
       "NetCDF radiances, colours frames like Sanchez, synthesises in-between frames (optical flow, RIFE, "
       "minterpolate) and encodes the timelapse with libavcodec, in one process.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # goesvfi_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
# The default false-colour underlay (a 2048x1024 Blue-Marble-style Earth) comes from Debian's xplanet-images.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "xplanet-images")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mpv | vlc | ffmpeg")
set(CPACK_STRIP_FILES ON)

get_cmake_property(goesvfi_components COMPONENTS)
if("goesvfi-gui" IN_LIST goesvfi_components)
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  set(CPACK_COMPONENTS_ALL goesvfi goesvfi-gui)
  set(CPACK_DEBIAN_GOESVFI_PACKAGE_NAME goesvfi)
  set(CPACK_DEBIAN_GOESVFI_FILE_NAME "goesvfi_${PROJECT_VERSION}_amd64.deb")
  set(CPACK_DEBIAN_GOESVFI-GUI_PACKAGE_NAME goesvfi-gui)
  set(CPACK_DEBIAN_GOESVFI-GUI_FILE_NAME "goesvfi-gui_${PROJECT_VERSION}_amd64.deb")
  set(CPACK_DEBIAN_GOESVFI-GUI_PACKAGE_DEPENDS "goesvfi (= ${PROJECT_VERSION})")
  set(CPACK_DEBIAN_GOESVFI-GUI_PACKAGE_SECTION graphics)
  set(CPACK_COMPONENT_GOESVFI-GUI_DESCRIPTION "goesvfi desktop app (Qt6)")
else()
  set(CPACK_COMPONENTS_ALL goesvfi)
endif()
include(CPack)
