# cmake -DBUILD_DIR=... -DCPACK=... -DVERSION=... -P check_package.cmake
# Builds the .deb into a scratch folder, checks its control fields, unpacks it with dpkg -x (what installing
# puts on disk, without root) and runs the installed programs.
set(work ${BUILD_DIR}/package-test)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN} failed (${rc}):\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(${CPACK} -G DEB -B ${work} --config ${BUILD_DIR}/CPackConfig.cmake)
file(GLOB debs ${work}/*.deb)
list(LENGTH debs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one .deb in ${work}, found ${count}: ${debs}")
endif()
message(STATUS "package: ${debs}")

run(dpkg-deb --field ${debs} Package Version Depends)
message(STATUS "${out}")
foreach(expected "Package: distillery" "Version: ${VERSION}" "libqt6widgets6" "libqt6sql6-sqlite" "qt6-qpa-plugins"
                 "libtorch" "libopenblas0-openmp")
  string(FIND "${out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "control fields lack \"${expected}\":\n${out}")
  endif()
endforeach()

set(root ${work}/root)
run(dpkg -x ${debs} ${root})
foreach(file usr/bin/distillery usr/bin/distillery-cli
             usr/share/applications/io.github.distillery.Distillery.desktop
             usr/share/metainfo/io.github.distillery.Distillery.metainfo.xml
             usr/share/icons/hicolor/scalable/apps/distillery.svg
             usr/share/icons/hicolor/16x16/apps/distillery.png usr/share/icons/hicolor/256x256/apps/distillery.png)
  if(NOT EXISTS ${root}/${file})
    message(FATAL_ERROR "the package does not install /${file}")
  endif()
endforeach()

run(${root}/usr/bin/distillery --version)
if(NOT out MATCHES "${VERSION}")
  message(FATAL_ERROR "distillery --version printed \"${out}\", expected ${VERSION}")
endif()
run(${root}/usr/bin/distillery-cli --version)
if(NOT out MATCHES "${VERSION}")
  message(FATAL_ERROR "distillery-cli --version printed \"${out}\", expected ${VERSION}")
endif()
file(REMOVE_RECURSE ${work})
message(STATUS "package_deb: built, unpacked, and both programs report ${VERSION}")
