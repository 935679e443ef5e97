"""kn.derive"""
