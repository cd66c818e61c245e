'''A stand-in for xdg-desktop-portal's Background interface (version 2), for the tests.

RequestBackground answers at once on its request object, allowing the app to run in the
background (and autostart as asked); SetStatus does nothing. dbusmock logs both calls
(org.freedesktop.DBus.Mock.GetCalls), where the test reads them.
'''

# SPDX-License-Identifier: GPL-3.0-or-later

import dbus
import dbus.lowlevel

BUS_NAME = 'org.freedesktop.portal.Desktop'
MAIN_OBJ = '/org/freedesktop/portal/desktop'
MAIN_IFACE = 'org.freedesktop.portal.Background'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.AddProperties(MAIN_IFACE, dbus.Dictionary({'version': dbus.UInt32(2)}, signature='sv'))


@dbus.service.method(MAIN_IFACE, in_signature='sa{sv}', out_signature='o',
                     sender_keyword='sender')
def RequestBackground(self, parent_window, options, sender=None):
    token = str(options.get('handle_token', 'request'))
    handle = '/org/freedesktop/portal/desktop/request/%s/%s' % (
        sender[1:].replace('.', '_'), token)
    results = dbus.Dictionary({'background': dbus.Boolean(True),
                               'autostart': dbus.Boolean(bool(options.get('autostart', False)))},
                              signature='sv')
    message = dbus.lowlevel.SignalMessage(handle, 'org.freedesktop.portal.Request', 'Response')
    message.append(dbus.UInt32(0), results, signature='ua{sv}')
    self.connection.send_message(message)
    return dbus.ObjectPath(handle)


@dbus.service.method(MAIN_IFACE, in_signature='a{sv}', out_signature='')
def SetStatus(self, options):
    pass
